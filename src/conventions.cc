// placeholder: filled in by the conventions work
