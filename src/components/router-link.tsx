import MuiLink from '@mui/material/Link';
import { createLink } from '@tanstack/react-router';

/**
 * MUI's Link driven by the router: a real href (open in a new tab works), a plain click navigates
 * inside the panel, and the router leaves modified clicks to the browser.
 */
export const RouterLink = createLink(MuiLink);
