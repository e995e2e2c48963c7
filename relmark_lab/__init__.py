"""relmark_lab (being assembled: the full entry points are added once every module exists)."""
