"""Native checks that semgrep cannot express (token age from git history, ...)."""
