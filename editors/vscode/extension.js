// The policyrules extension: the .pol grammar (package.json) and a client that starts
// `policyrules lsp` over stdio. Install the server first: pip install 'policyrules[lsp]'.
"use strict";

const vscode = require("vscode");
const { LanguageClient, TransportKind } = require("vscode-languageclient/node");

let client;

function activate(context) {
  const settings = vscode.workspace.getConfiguration("policyrules");
  const [command, ...args] = settings.get("server.command", ["policyrules", "lsp"]);
  const language = settings.get("language", "auto");
  client = new LanguageClient(
    "policyrules",
    "policyrules",
    { command, args, transport: TransportKind.stdio },
    {
      documentSelector: [
        { scheme: "file", language: "policyrules" },
        { scheme: "untitled", language: "policyrules" },
      ],
      // "auto": the server follows the display language VS Code sends as `locale`
      initializationOptions: language === "auto" ? {} : { lang: language },
    },
  );
  context.subscriptions.push(client);
  return client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
