// The prikaz extension: starts `prikaz lsp` for the plans of the workspace
// (diagnostics while typing, completion, hover, definition, rename, quick
// fixes, formatting, outline) and adds «Собрать PDF» and «Открыть
// предпросмотр». The schema for the YAML extension comes with the package.
import * as vscode from "vscode";
import { ChildProcess, spawn } from "node:child_process";
import {
  LanguageClient,
  LanguageClientOptions,
  ServerOptions,
} from "vscode-languageclient/node";

let client: LanguageClient | undefined;
let preview: ChildProcess | undefined;

function program(): string {
  return vscode.workspace.getConfiguration("prikaz").get<string>("path") || "prikaz";
}

function folder(): string | undefined {
  return vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
}

async function startClient(context: vscode.ExtensionContext): Promise<void> {
  const server: ServerOptions = {
    command: program(),
    args: ["lsp"],
    options: { cwd: folder() },
  };
  const options: LanguageClientOptions = {
    documentSelector: [
      { scheme: "file", language: "yaml", pattern: "**/plans/**/*.{yaml,yml}" },
    ],
    synchronize: {
      // Files changed outside the editor (git checkout, another program).
      fileEvents: vscode.workspace.createFileSystemWatcher("**/plans/**/*.{yaml,yml}"),
    },
  };
  client = new LanguageClient("prikaz", "prikaz", server, options);
  context.subscriptions.push(client);
  await client.start();
}

function buildPdf(): void {
  const file = vscode.window.activeTextEditor?.document;
  if (file?.isDirty) {
    void file.save();
  }
  const args = ["build", "--format", "pdf"];
  if (file && file.uri.scheme === "file") {
    args.push(file.uri.fsPath);
  }
  const task = new vscode.Task(
    { type: "prikaz", command: "build" },
    vscode.TaskScope.Workspace,
    "Собрать PDF",
    "prikaz",
    new vscode.ProcessExecution(program(), args, { cwd: folder() }),
  );
  void vscode.tasks.executeTask(task);
}

function openPreview(): void {
  if (preview && preview.exitCode === null) {
    preview.kill();
  }
  const file = vscode.window.activeTextEditor?.document;
  const args = ["preview"];
  if (file && file.uri.scheme === "file") {
    args.push(file.uri.fsPath);
  }
  const child = spawn(program(), args, { cwd: folder() });
  preview = child;
  let shown = false;
  child.stdout.setEncoding("utf8");
  child.stdout.on("data", (chunk: string) => {
    const url = chunk.split(/\r?\n/).find((l) => l.startsWith("http://127.0.0.1:"));
    if (url && !shown) {
      shown = true;
      // The built-in browser beside the plan; the system one if it is absent.
      void vscode.commands
        .executeCommand("simpleBrowser.show", url)
        .then(undefined, () => vscode.env.openExternal(vscode.Uri.parse(url)));
    }
  });
  child.on("error", (e) => {
    void vscode.window.showErrorMessage(`prikaz preview не запустился: ${e.message}`);
  });
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  context.subscriptions.push(
    vscode.commands.registerCommand("prikaz.buildPdf", buildPdf),
    vscode.commands.registerCommand("prikaz.openPreview", openPreview),
    vscode.commands.registerCommand("prikaz.restartServer", async () => {
      await client?.stop();
      await startClient(context);
    }),
    { dispose: () => preview?.kill() },
  );
  try {
    await startClient(context);
  } catch (e) {
    void vscode.window.showErrorMessage(
      `prikaz lsp не запустился (${String(e)}): укажите путь в настройке prikaz.path`,
    );
  }
}

export async function deactivate(): Promise<void> {
  preview?.kill();
  await client?.stop();
}
