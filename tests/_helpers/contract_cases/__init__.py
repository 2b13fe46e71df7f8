"""Contract cases, one module per metric family (`cases_<family>.py`)."""
