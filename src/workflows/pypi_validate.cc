// PyPI staging validation (filled below).
