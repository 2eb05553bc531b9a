import xml.sax
from xml.dom import pulldom

import defusedxml.ElementTree as DET
from flask import Flask, request
from lxml import etree

app = Flask(__name__)


@app.route("/import", methods=["POST"])
def import_xml():
    data = request.get_data()
    # ruleid: llmsecops/web-xxe
    root = etree.fromstring(data)
    parser = etree.XMLParser(resolve_entities=True)
    # ruleid: llmsecops/web-xxe
    root2 = etree.fromstring(data, parser)
    hardened = etree.XMLParser(resolve_entities=False, no_network=True)
    # ok: llmsecops/web-xxe
    root3 = etree.fromstring(data, hardened)
    # ok: llmsecops/web-xxe
    root4 = DET.fromstring(data)
    return {"tags": [root.tag, root2.tag, root3.tag, root4.tag]}


@app.route("/sax", methods=["POST"])
def sax():
    upload = request.files["doc"]
    handler = xml.sax.ContentHandler()
    parser = xml.sax.make_parser()
    parser.setFeature(xml.sax.handler.feature_external_ges, True)
    parser.setContentHandler(handler)
    # ruleid: llmsecops/web-xxe
    parser.parse(upload.stream)
    return "ok"


@app.route("/sax-default", methods=["POST"])
def sax_default():
    parser = xml.sax.make_parser()
    # External entities stay off by default.
    # ok: llmsecops/web-xxe
    parser.parse(request.files["doc"].stream)
    # ok: llmsecops/web-xxe
    events = pulldom.parseString(request.form["xml"])
    return str(events)
