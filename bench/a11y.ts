/**
 * Finding elements by role and accessible name from inside the page, for the in-page probes whose
 * timings must not wait on Playwright's polling (and, in the memory part, whose compiled code must
 * not be Playwright's selector engine's). It covers the roles the bench uses, with the parts of the
 * accessible-name computation the UI contract relies on: aria-labelledby, aria-label, <label>,
 * content; aria-hidden content (MUI's required asterisk) is not part of a name.
 */

export type BenchRole = 'button' | 'textbox' | 'region' | 'combobox';

export interface BenchA11y {
  /** The first element with this role whose accessible name is exactly `name` (whitespace collapsed). */
  find(role: BenchRole, name: string, root?: ParentNode): HTMLElement | undefined;
  /** Text a user reads in `el`: aria-hidden parts and the nested parts matched by `skip` left out. */
  text(el: Element, skip?: (el: Element) => boolean): string;
  nameOf(el: Element): string;
  /** Laid out with a size and not hidden. */
  visible(el: Element): boolean;
}

declare global {
  interface Window {
    __a11y: BenchA11y;
  }
}

/** Installed as an init script (serialized by Playwright: it must not close over anything). */
export function installA11y() {
  const CANDIDATES: Record<string, string> = {
    button: 'button, [role="button"], input[type="submit"], input[type="button"]',
    textbox:
      'input:not([type]), input[type="text"], input[type="search"], input[type="email"], input[type="url"], textarea, [role="textbox"]',
    region: 'section, [role="region"]',
    combobox: '[role="combobox"], select',
  };
  const norm = (s: string) => s.replace(/\s+/g, ' ').trim();
  const text = (el: Element, skip?: (el: Element) => boolean): string => {
    let out = '';
    for (const n of el.childNodes) {
      if (n.nodeType === Node.TEXT_NODE) out += (n as Text).data;
      else if (n instanceof Element) {
        if (n.getAttribute('aria-hidden') === 'true' || n instanceof HTMLStyleElement || n instanceof HTMLScriptElement) continue;
        if (skip?.(n)) continue;
        out += ` ${text(n, skip)} `;
      }
    }
    return out;
  };
  const nameOf = (el: Element): string => {
    const by = el.getAttribute('aria-labelledby');
    if (by) return norm(by.split(/\s+/).map((id) => { const r = document.getElementById(id); return r ? text(r) : ''; }).join(' '));
    const label = el.getAttribute('aria-label');
    if (label) return norm(label);
    const labels = (el as HTMLInputElement).labels;
    if (labels && labels.length) return norm([...labels].map((l) => text(l)).join(' '));
    if (el instanceof HTMLInputElement && (el.type === 'submit' || el.type === 'button')) return norm(el.value);
    return el.matches(CANDIDATES.textbox ?? '') ? '' : norm(text(el));
  };
  const roleOf = (el: Element, candidate: string) => el.getAttribute('role') ?? candidate;
  const find = (role: string, name: string, root: ParentNode = document) => {
    for (const el of root.querySelectorAll<HTMLElement>(CANDIDATES[role] ?? role)) {
      if (roleOf(el, role) === role && nameOf(el) === name) return el;
    }
    return undefined;
  };
  const visible = (el: Element) => {
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && getComputedStyle(el).visibility !== 'hidden';
  };
  window.__a11y = { find, text: (el, skip) => norm(text(el, skip)), nameOf, visible };
}
