"""Sales analytics assistant: natural-language questions over the warehouse."""

import os
from enum import Enum

import pandas as pd
import streamlit as st
from langchain.chains import create_sql_query_chain
from langchain_community.utilities import SQLDatabase
from langchain_core.prompts import PromptTemplate
from langchain_experimental.agents import create_pandas_dataframe_agent
from langchain_openai import ChatOpenAI
from pydantic import BaseModel
from sqlalchemy import create_engine, text

engine = create_engine(os.environ["WAREHOUSE_URL"])
db = SQLDatabase(engine, include_tables=["sales", "regions"])
llm = ChatOpenAI(model="gpt-4o", temperature=0, max_tokens=800)


class Report(str, Enum):
    revenue_by_region = "revenue_by_region"
    top_products = "top_products"


class ReportChoice(BaseModel):
    report: Report
    year: int


REPORT_SQL = {
    Report.revenue_by_region: "SELECT region, SUM(amount) FROM sales WHERE year = :year GROUP BY region",
    Report.top_products: "SELECT product, SUM(amount) AS total FROM sales WHERE year = :year GROUP BY product ORDER BY total DESC LIMIT 10",
}

CAPTION_TEMPLATE = "Write a one-line caption for a chart of {metric}."

st.title("Sales analyst")
question = st.text_input("Ask a question about sales")
mode = st.radio("Mode", ["free SQL", "reports", "dataframe"])

if question and mode == "free SQL":
    sql = create_sql_query_chain(llm, db).invoke({"question": question})
    with engine.connect() as conn:
        df = pd.read_sql(text(sql), conn)  # vuln: tool-output-sinks
    st.dataframe(df)

if question and mode == "reports":
    picker = llm.with_structured_output(ReportChoice)
    choice = picker.invoke(question)
    with engine.connect() as conn:
        df = pd.read_sql(  # safe: tool-output-sinks
            text(REPORT_SQL[choice.report]), conn, params={"year": int(choice.year)}
        )
    st.dataframe(df)

if question and mode == "dataframe":
    sales = pd.read_sql("SELECT * FROM sales WHERE year >= 2023", engine)
    agent = create_pandas_dataframe_agent(  # vuln: tool-output-sinks
        llm, sales, agent_type="tool-calling", allow_dangerous_code=True
    )
    st.write(agent.invoke({"input": question})["output"])

with st.sidebar:
    st.subheader("Custom chart caption")
    caption_template = st.text_area("Caption template", CAPTION_TEMPLATE)
    metric = st.selectbox("Metric", ["revenue", "units", "margin"])
    if st.button("Caption"):
        chain = PromptTemplate.from_template(caption_template) | llm  # vuln: prompt-injection
        st.caption(chain.invoke({"metric": metric}).content)
    if st.button("Caption (fixed template)"):
        fixed = PromptTemplate.from_template(CAPTION_TEMPLATE)  # safe: prompt-injection
        st.caption((fixed | llm).invoke({"metric": metric}).content)
