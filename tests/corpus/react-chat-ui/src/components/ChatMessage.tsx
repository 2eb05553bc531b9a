// Renders assistant messages streamed from the chat API.
import { useEffect, useRef } from "react";
import DOMPurify from "dompurify";
import { marked } from "marked";

export type Message = { id: string; role: "user" | "assistant"; content: string };

export function AssistantBubble({ message }: { message: Message }) {
  const html = marked.parse(message.content, { async: false }) as string;
  return <div className="bubble assistant" dangerouslySetInnerHTML={{ __html: html }} />; // vuln: output-handling
}

export function SafeAssistantBubble({ message }: { message: Message }) {
  const html = DOMPurify.sanitize(marked.parse(message.content, { async: false }) as string);
  return <div className="bubble assistant" dangerouslySetInnerHTML={{ __html: html }} />; // safe: output-handling
}

export function PlainBubble({ message }: { message: Message }) {
  return <div className={`bubble ${message.role}`}>{message.content}</div>; // safe: output-handling
}

export function StreamingBubble({ stream }: { stream: ReadableStream<string> }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    let text = "";
    const reader = stream.getReader();
    (async () => {
      for (;;) {
        const { value, done } = await reader.read();
        if (done || !ref.current) break;
        text += value;
        ref.current.innerHTML = text; // vuln: output-handling
      }
    })();
    return () => reader.releaseLock();
  }, [stream]);
  return <div className="bubble assistant streaming" ref={ref} />;
}

export function SafeStreamingBubble({ stream }: { stream: ReadableStream<string> }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    let text = "";
    const reader = stream.getReader();
    (async () => {
      for (;;) {
        const { value, done } = await reader.read();
        if (done || !ref.current) break;
        text += value;
        ref.current.textContent = text; // safe: output-handling
      }
    })();
    return () => reader.releaseLock();
  }, [stream]);
  return <div className="bubble assistant streaming" ref={ref} />;
}

export function CitationList({ answerHtml }: { answerHtml: string }) {
  const container = useRef<HTMLUListElement>(null);
  useEffect(() => {
    if (!container.current) return;
    container.current.insertAdjacentHTML("beforeend", answerHtml); // vuln: output-handling
  }, [answerHtml]);
  return <ul className="citations" ref={container} />;
}
