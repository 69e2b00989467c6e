"""Scripts that keep the documentation equal to the code."""
