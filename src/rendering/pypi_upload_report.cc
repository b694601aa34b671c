// Placeholder: filled by the PyPI work (issue 12).
