"""DLP scoring of the lake's texts: what is scanned, and the findings it yields."""
