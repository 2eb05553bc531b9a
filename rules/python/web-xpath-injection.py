import xml.etree.ElementTree as ET

from flask import Flask, request
from lxml import etree

app = Flask(__name__)
TREE = etree.parse("users.xml")


@app.route("/user")
def user():
    name = request.args.get("name", "")
    # ruleid: llmsecops/web-xpath-injection
    nodes = TREE.xpath("//user[@name='" + name + "']/email/text()")
    # XPath variables keep the value out of the expression.
    # ok: llmsecops/web-xpath-injection
    safe = TREE.xpath("//user[@name=$n]/email/text()", n=name)
    return {"emails": [str(n) for n in nodes + safe]}


@app.route("/book")
def book():
    root = ET.parse("books.xml").getroot()
    title = request.args["title"]
    # ruleid: llmsecops/web-xpath-injection
    hits = root.findall(f".//book[title='{title}']")
    # ok: llmsecops/web-xpath-injection
    everything = root.findall(".//book")
    # ruleid: llmsecops/web-xpath-injection
    finder = etree.XPath("//book[@id='%s']" % request.form["id"])
    return {"n": len(hits) + len(everything) + len(finder(TREE))}


@app.route("/by-id")
def by_id():
    num = int(request.args.get("id", "0"))
    # ok: llmsecops/web-xpath-injection
    return {"n": len(TREE.xpath("//book[@id='%d']" % num))}
