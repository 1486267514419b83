/** Builds an element: h('a', { href: '#/', class: 'x', onClick: fn }, 'text', child). No innerHTML anywhere. */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2).toLowerCase(), value);
    else if (key === 'class') el.className = value;
    else if (key === 'value' && 'value' in el && tag !== 'option' && tag !== 'button') el.value = String(value);
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

export function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : String(child));
  }
  return el;
}

let ids = 0;
/** A labelled form control: label above, hint and control tied together for screen readers. */
export function field(label, control, hint) {
  const id = control.id || `f${++ids}`;
  control.id = id;
  const hintEl = hint ? h('p', { class: 'hint', id: `${id}-hint` }, hint) : null;
  if (hintEl) control.setAttribute('aria-describedby', hintEl.id);
  return h('div', { class: 'field' }, h('label', { for: id }, label), hintEl, control);
}

export function select(name, options, selected, attrs = {}) {
  return h(
    'select',
    { name, ...attrs },
    options.map(([value, label]) => h('option', { value, selected: value === selected }, label)),
  );
}

/** Reads a form into a plain object of trimmed strings. */
export function formData(form) {
  return Object.fromEntries([...new FormData(form).entries()].map(([key, value]) => [key, String(value).trim()]));
}
