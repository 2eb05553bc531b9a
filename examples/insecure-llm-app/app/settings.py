"""Runtime settings for DocBot.

DELIBERATELY INSECURE: this module mixes credentials committed to source
(trailing VULNERABLE comment) with safe twins that read the same values
from the environment at runtime (trailing SAFE comment). All keys are fake.
"""
import os

APP_NAME = "docbot"
DB_HOST = os.environ.get("DB_HOST", "localhost")
DB_USER = os.environ.get("DB_USER", "docbot")

# Postgres password for the document store.
db_password = "Winter2024!docbot"  # VULNERABLE: hard-coded database password
DB_PASSWORD = os.environ.get("DB_PASSWORD", "")  # SAFE: password read from the environment

# AWS credentials used by rag.py to pull documents from the S3 mirror.
AWS_ACCESS_KEY_ID = "AKIAXNQHD9TW6D8QPJM5"  # VULNERABLE: committed AWS access key id
AWS_SECRET_ACCESS_KEY = "1gHVOZP4NU89LdXgXqt38LiiPwauvd5IHetw6rEK"  # VULNERABLE: committed AWS secret access key
AWS_PROFILE = os.environ.get("AWS_PROFILE", "docbot-readonly")  # SAFE: credentials come from the AWS profile/role
AWS_REGION = os.environ.get("AWS_REGION", "eu-west-1")

# GitHub token used to sync the docs repository.
GITHUB_TOKEN = "ghp_KI1WdjyUANrgMMt86lbOQY8aWfAXGC00JkcX"  # VULNERABLE: committed GitHub personal access token
GITHUB_TOKEN_ENV = os.environ.get("GITHUB_TOKEN", "")  # SAFE: token read from the environment

# LLM provider keys: the SDK clients read these from the environment by themselves.
OPENAI_API_KEY = os.environ.get("OPENAI_API_KEY")  # SAFE: key read from the environment
ANTHROPIC_API_KEY = os.environ.get("ANTHROPIC_API_KEY")  # SAFE: key read from the environment

DOCS_DIR = os.environ.get("DOCBOT_DOCS_DIR", "data/docs")
INDEX_DIR = os.environ.get("DOCBOT_INDEX_DIR", "data/index")
