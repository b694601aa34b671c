// placeholder: filled in by the specifier work
