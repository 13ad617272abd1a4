// Browsers ask for /favicon.ico on their own (e.g. around downloads); answer with the app icon rather than a 404.

const ICON =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><title>NeuralFin</title><rect width="32" height="32" rx="6" fill="#1d4ed8"/><path d="M7 23V9l9 9 9-9v14" fill="none" stroke="#fff" stroke-width="3" stroke-linejoin="round"/></svg>';

export function GET(): Response {
  return new Response(ICON, {
    headers: { 'content-type': 'image/svg+xml', 'cache-control': 'public, max-age=86400' },
  });
}
