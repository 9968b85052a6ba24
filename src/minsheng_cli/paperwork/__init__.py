"""Reports and exports for the leaders: outline, Markdown, HTML, Word, Excel/CSV/JSON."""
