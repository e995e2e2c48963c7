"""Data sets (being assembled)."""
