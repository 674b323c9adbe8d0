// First: starts fetching the current page's chunk before the modules below are evaluated (boot.ts).
import "./app/boot";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./app/App";
import "./styles/base.css";
import "./styles/console.css";

const root = document.getElementById("root");
if (!root) throw new Error("index.html lacks the #root element");

createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
