"""negotiate — the Streamlit app (`make run`). The pages live in negotiate/web."""
from negotiate.web import main

main()
