"""The steward report: data-quality results rendered as one self-contained HTML file."""
