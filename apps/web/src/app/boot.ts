/**
 * Imported first by main.tsx, so this runs before React, the router, zod and the API schemas are evaluated: the
 * current page's chunk (and its CSS and shared chunks) start downloading and compiling now, in parallel with the
 * rest of the entry, instead of when the router is created after the first render. (The page's first API request
 * started earlier still: public/early-requests.js, api/early-fetch.ts.)
 */
import { preloadCurrentPage } from "./pages";

preloadCurrentPage(window.location.pathname);
