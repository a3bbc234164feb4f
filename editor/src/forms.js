// The public forms' proof-of-work widget: ALTCHA's own web component (altcha/external: no
// inline styles or scripts, so the site's CSP stays 'self'), in Vietnamese, with its PBKDF2
// worker loaded from this site (the widget names the file in data-worker).
import 'altcha/external';
import 'altcha/i18n/vi';

const widget = document.querySelector('altcha-widget[data-worker]');
if (widget) {
  const url = widget.getAttribute('data-worker');
  globalThis.$altcha.algorithms.set('PBKDF2/SHA-256', () => new Worker(url));
}
