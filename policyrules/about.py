"""What policyrules is: its version (one place, read by the package, the command line,
the language server and the SARIF output)."""

__version__ = "0.1.0"
