"""Project tooling: dictionary sync, engineering gates (lint, conventions, sqlfluff rules)."""
