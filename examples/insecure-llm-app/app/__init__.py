"""DocBot: a deliberately insecure RAG / agent service used as the llmsecops demo."""
