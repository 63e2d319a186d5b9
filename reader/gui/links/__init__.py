"""What the newsletters point to (issue #17): the Links view, an issue's Links and Related tabs, and a
search as a timeline."""
