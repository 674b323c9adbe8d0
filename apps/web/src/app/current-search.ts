/**
 * The query string as the browser has it right now. React Router's functional `setSearchParams(prev => …)`
 * hands `prev` from the last render, so two changes made before React re-renders (pick a window, then a
 * namespace) would each start from the same old query and the second would undo the first
 * (remix-run/react-router#9757). Navigation updates `window.location` synchronously, so updaters start from it.
 */
export function currentSearchParams(): URLSearchParams {
  return new URLSearchParams(window.location.search);
}
