"""What only the Streamlit app uses. Modules outside this package never import
Streamlit (tests/test_layers.py holds that line)."""
