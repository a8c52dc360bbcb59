// Small DOM helpers shared by the boards.
import { esc } from './format.js';
import { t } from './i18n.js';

// An element from an HTML string (the caller escapes server text with esc).
export function html(markup) {
  const template = document.createElement('template');
  template.innerHTML = markup.trim();
  return template.content.firstElementChild;
}

// The words for an API failure: its kind in the page's language, then the
// server's own message (which names the field, the state, the rule).
export function errorText(error) {
  const key = `error.${error.code}`;
  const kind = t(key) === key ? t('error.generic') : t(key);
  const status = error.status ? ` (${error.status})` : '';
  return `${kind}${status}: ${error.message ?? ''}`;
}

export function errorBox(error) {
  return html(`<div class="error" role="alert" data-status="${esc(error.status ?? '')}">${esc(errorText(error))}</div>`);
}

let toastTimer;
// A passing message at the bottom of the page.
export function toast(text, kind = 'info') {
  const element = document.getElementById('toast');
  element.textContent = text;
  element.className = kind;
  element.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => (element.hidden = true), 6000);
}

// Gathers a form's named fields into an object of trimmed strings.
export function formValues(form) {
  const values = {};
  for (const [name, value] of new FormData(form).entries()) values[name] = String(value).trim();
  return values;
}

// "a, b ,c" → ["a", "b", "c"].
export function list(text) {
  return (text ?? '').split(/[,，\s]+/).filter(Boolean);
}

// Runs `action` for a submitted form: disables it meanwhile, shows the
// server's refusal inside the form, calls `done` on success.
export function onSubmit(form, action, done) {
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    form.querySelector('.error')?.remove();
    const button = form.querySelector('button[type=submit]');
    if (button) button.disabled = true;
    try {
      const result = await action(formValues(form));
      if (done) done(result);
    } catch (error) {
      form.appendChild(errorBox(error));
    } finally {
      if (button) button.disabled = false;
    }
  });
}
