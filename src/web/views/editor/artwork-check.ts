import { raw } from '../../html.js';

/**
 * Checks an artwork file's size in the browser, before a 30 MB upload is sent only to be refused:
 * on choosing a file, a message appears next to the field, and the form is not sent while the
 * file is too large. The server checks again (this is a convenience, not the rule). Every file
 * input with `data-max-bytes` takes part; nonce'd like the other page scripts.
 */
export const ARTWORK_CHECK_SCRIPT = raw(`(() => {
  const mb = (n) => (n / 1024 / 1024).toFixed(1) + ' MB';
  const problem = (input) => {
    const file = input.files && input.files[0];
    const max = Number(input.dataset.maxBytes);
    return file && file.size > max
      ? 'The file is ' + mb(file.size) + '; artwork can be at most ' + Math.round(max / 1024 / 1024) + ' MB. Choose a smaller file: a 3000×3000 JPEG is usually under 5 MB.'
      : null;
  };
  const show = (input) => {
    const id = input.id + '-size-error';
    let p = document.getElementById(id);
    const text = problem(input);
    if (!text) {
      if (p) p.remove();
      input.removeAttribute('aria-invalid');
      return true;
    }
    if (!p) {
      p = document.createElement('p');
      p.className = 'err';
      p.id = id;
      p.setAttribute('role', 'alert');
      input.insertAdjacentElement('afterend', p);
    }
    p.textContent = text;
    input.setAttribute('aria-invalid', 'true');
    input.setAttribute('aria-describedby', id);
    return false;
  };
  for (const input of document.querySelectorAll('input[type=file][data-max-bytes]')) {
    input.addEventListener('change', () => show(input));
    if (input.form) input.form.addEventListener('submit', (e) => {
      if (!show(input)) { e.preventDefault(); input.focus(); }
    });
  }
})();`);
