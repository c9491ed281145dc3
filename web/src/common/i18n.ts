// The apps' two languages: zh-CN (Pledge's default, as for notices) and en. A dictionary per app.

export type Lang = 'zh-CN' | 'en';
export type Dict = Record<string, { en: string; zh: string }>;

let lang: Lang = (localStorage.getItem('pledge.lang') as Lang | null) ?? (navigator.language.startsWith('zh') ? 'zh-CN' : 'en');
let dict: Dict = {};

export function use(d: Dict): void {
  dict = d;
  document.documentElement.lang = lang;
}

export function current(): Lang {
  return lang;
}

export function setLang(l: Lang): void {
  lang = l;
  localStorage.setItem('pledge.lang', l);
  document.documentElement.lang = l;
}

/** The text for a key, with {name} placeholders filled in. */
export function t(key: string, params: Record<string, string | number> = {}): string {
  const e = dict[key];
  let s = e ? (lang === 'zh-CN' ? e.zh : e.en) : key;
  for (const [k, v] of Object.entries(params)) s = s.replace(`{${k}}`, String(v));
  return s;
}
