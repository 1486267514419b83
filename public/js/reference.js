import { get } from './api.js';
import { language, t } from './i18n.js';

let houses;
let categories;

export async function loadReference() {
  [houses, categories] = await Promise.all([houses ?? get('/api/houses'), categories ?? get('/api/categories')]);
}

export const allHouses = () => houses;
export const allCategories = () => categories;
export const house = (slug) => houses.find((h) => h.slug === slug);
/** The short name people use: "Hejmo", "l'Olivier". */
export const houseName = (slug) => t(`houses.${slug}.short`);
export const categoryLabel = (code) => categories.find((c) => c.code === code)?.labels[language()] ?? code;
export const categoryOptions = () => categories.map((c) => [c.code, c.labels[language()]]);
