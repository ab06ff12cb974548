"""`python -m bench`: see bench/__main__.py."""
import os

# AppTest runs the pages without a server; Streamlit would log a warning for every cached call.
os.environ.setdefault("STREAMLIT_LOGGER_LEVEL", "error")
