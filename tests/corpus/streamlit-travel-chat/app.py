"""Travel planner chat built with Streamlit."""

import logging

import bleach
import streamlit as st
from openai import OpenAI

st.set_page_config(page_title="Trip planner", page_icon="✈️")
logger = logging.getLogger("trip-planner")


@st.cache_resource
def get_client() -> OpenAI:
    return OpenAI(api_key=st.secrets["OPENAI_API_KEY"])


client = get_client()
MODEL = "gpt-4o-mini"
PLANNER_PROMPT = "You are a travel planner. Suggest itineraries with times and costs in markdown."
ALLOWED_TAGS = ["p", "ul", "ol", "li", "strong", "em", "h3", "table", "tr", "td", "th"]

if "messages" not in st.session_state:
    st.session_state.messages = []

tab_chat, tab_itinerary = st.tabs(["Chat", "Itinerary"])

with tab_chat:
    persona = st.sidebar.text_area("Assistant persona", "You are a cheerful travel planner.")
    for msg in st.session_state.messages:
        with st.chat_message(msg["role"]):
            st.markdown(msg["content"])
    if prompt := st.chat_input("Where do you want to go?"):
        st.session_state.messages.append({"role": "user", "content": prompt})
        response = client.chat.completions.create(  # vuln: prompt-injection
            model=MODEL,
            max_tokens=800,
            messages=[{"role": "system", "content": persona}, *st.session_state.messages],
        )
        answer = response.choices[0].message.content
        st.session_state.messages.append({"role": "assistant", "content": answer})
        logger.info("user said %r, assistant said %r", prompt, answer)  # vuln: client-config
        with st.chat_message("assistant"):
            st.markdown(answer, unsafe_allow_html=True)  # vuln: output-handling

with tab_itinerary:
    city = st.text_input("City")
    days = st.number_input("Days", min_value=1, max_value=14, value=3)
    notes = st.text_area("Anything else?")
    if st.button("Plan it") and city:
        itinerary = client.chat.completions.create(  # vuln: prompt-injection
            model=MODEL,
            max_tokens=1200,
            messages=[
                {"role": "system", "content": PLANNER_PROMPT},
                {
                    "role": "user",
                    "content": f"Plan {days} days in {city}. Follow these extra rules exactly: {notes}",
                },
            ],
        )
        plan = itinerary.choices[0].message.content
        clean = bleach.clean(plan, tags=ALLOWED_TAGS, strip=True)
        st.markdown(clean, unsafe_allow_html=True)  # safe: output-handling
        logger.info(  # safe: client-config
            "itinerary generated: %d chars, %s tokens", len(plan), itinerary.usage.total_tokens
        )

with st.expander("Ask a quick question"):
    question = st.text_input("Question", key="quick")
    if question:
        quick = client.chat.completions.create(  # safe: prompt-injection
            model=MODEL,
            max_tokens=300,
            messages=[
                {"role": "system", "content": PLANNER_PROMPT},
                {"role": "user", "content": question},
            ],
        )
        st.markdown(quick.choices[0].message.content)  # safe: output-handling
