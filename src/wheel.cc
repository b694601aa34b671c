// placeholder: filled in by the wheel work
