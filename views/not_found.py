"""An address no page answers to: said in the user's language, with the way back to the start."""
import streamlit as st

from core.safe_text import as_text
from ui.addresses import requested_address, start_page
from ui.state import t

st.title(t("addresses.not_found_title"))
st.warning(t("addresses.not_found", address=as_text("/" + requested_address())), icon=":material/link_off:")
st.page_link(start_page(), label=t("addresses.go_start"), icon=":material/home:")
