"""Renderers: each is a pure function of a ScanResult returning text.

They never read the clock, the environment or files: same result, same bytes.
"""
