import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import i18n from "./i18n";
import "./styles/base.css";
import "./styles/shell.css";
import "./styles/components.css";
import "./styles/screens.css";
import "./styles/cards.css";
import "./styles/quota.css";
import "./styles/relay.css";
import { App } from "./App";
import { prepareDocument } from "./settings/applyTheme";
import { reportFirstPaint } from "./lib/firstPaint";

// The theme of last time and the UI language go on <html> before anything renders.
prepareDocument(i18n.language);

const root = document.getElementById("root");
if (!root) throw new Error("index.html has no #root element");

createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
reportFirstPaint();
