import towns from './data/belgian-towns.json';

export interface Point {
  lat: number;
  lng: number;
}

export type Precision = 'town' | 'postcode-area' | 'country';

export interface Located extends Point {
  precision: Precision;
}

/** Roughly the middle of Belgium, for an address that can be placed no better. */
const BELGIUM: Point = { lat: 50.64, lng: 4.67 };

// Names that differ between languages; keys and values are normalised names.
const ALIASES: Record<string, string> = {
  'bruxelles': 'brussels',
  'brussel': 'brussels',
  'bruxelles ville': 'brussels',
  'anvers': 'antwerpen',
  'antwerp': 'antwerpen',
  'gand': 'gent',
  'ghent': 'gent',
  'louvain': 'leuven',
  'luik': 'liege',
  'namen': 'namur',
  'bergen': 'mons',
  'malines': 'mechelen',
  'bruges': 'brugge',
  'courtrai': 'kortrijk',
  'ostende': 'ostend',
  'oostende': 'ostend',
  'doornik': 'tournai',
  'hal': 'halle',
  'alost': 'aalst',
  'termonde': 'dendermonde',
  'ypres': 'ieper',
  'saint nicolas': 'sint niklaas',
  'tongres': 'tongeren',
  'nivel': 'nivelles',
  'waver': 'wavre',
  'hoei': 'huy',
  'aarlen': 'arlon',
  'grace hollogne': 'liege',
  'hollogne aux pierres': 'liege',
  'bande': 'nassogne',
};

/**
 * The two first digits of a Belgian postcode name an area; each maps to its
 * main town. Used when the town a person typed is not in the town list.
 */
const POSTCODE_AREAS: Record<string, string> = {
  '10': 'brussels', '11': 'brussels', '12': 'brussels', '13': 'wavre', '14': 'nivelles', '15': 'halle',
  '16': 'sint pieters leeuw', '17': 'asse', '18': 'vilvoorde', '19': 'zaventem',
  '20': 'antwerpen', '21': 'antwerpen', '22': 'herentals', '23': 'turnhout', '24': 'geel', '25': 'lier',
  '26': 'mortsel', '28': 'mechelen', '29': 'brasschaat',
  '30': 'leuven', '31': 'haacht', '32': 'aarschot', '33': 'tienen', '34': 'landen', '35': 'hasselt',
  '36': 'genk', '37': 'tongeren', '38': 'sint truiden', '39': 'lommel',
  '40': 'liege', '41': 'seraing', '42': 'hannut', '43': 'waremme', '44': 'ans', '45': 'huy', '46': 'vise',
  '47': 'eupen', '48': 'verviers', '49': 'spa',
  '50': 'namur', '51': 'namur', '53': 'andenne', '55': 'dinant', '56': 'philippeville',
  '60': 'charleroi', '61': 'charleroi', '62': 'fleurus', '64': 'chimay', '65': 'thuin', '66': 'bastogne',
  '67': 'arlon', '68': 'neufchateau', '69': 'marche en famenne',
  '70': 'mons', '71': 'la louviere', '73': 'saint ghislain', '75': 'tournai', '76': 'peruwelz',
  '77': 'mouscron', '78': 'ath', '79': 'ath',
  '80': 'brugge', '82': 'brugge', '83': 'knokke heist', '84': 'ostend', '85': 'kortrijk', '86': 'diksmuide',
  '87': 'tielt', '88': 'roeselare', '89': 'ieper',
  '90': 'gent', '91': 'sint niklaas', '92': 'dendermonde', '93': 'aalst', '94': 'ninove', '95': 'geraardsbergen',
  '96': 'ronse', '97': 'oudenaarde', '98': 'deinze', '99': 'eeklo',
};

/** For a postcode area that has no entry of its own: the main town of its province-sized first digit. */
const FIRST_DIGIT: Record<string, string> = {
  '1': 'brussels', '2': 'antwerpen', '3': 'leuven', '4': 'liege', '5': 'namur',
  '6': 'charleroi', '7': 'mons', '8': 'brugge', '9': 'gent',
};

/** Lower case, no accents, no punctuation, no words in brackets: "Grâce-Hollogne (Liège)" → "grace hollogne". */
export function normaliseTownName(name: string): string {
  return name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/\(.*?\)/g, ' ')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

const TOWNS = new Map<string, Point>();
for (const [name, lat, lng] of towns.towns as Array<[string, number, number, number]>) {
  const key = normaliseTownName(name);
  // The list is sorted by name, then by population: the first of two namesakes is the larger.
  if (!TOWNS.has(key)) TOWNS.set(key, { lat, lng });
}

export function findTown(name: string): Point | undefined {
  const key = normaliseTownName(name);
  return TOWNS.get(ALIASES[key] ?? key) ?? TOWNS.get(key.replace(/^saint /, 'sint ')) ?? TOWNS.get(key.replace(/^sint /, 'saint '));
}

/** Places a Belgian address: by its town when known, else by its postcode area, else the middle of Belgium. */
export function locate(postcode: string, town: string): Located {
  const byTown = findTown(town);
  if (byTown) return { ...byTown, precision: 'town' };
  const area = POSTCODE_AREAS[postcode.slice(0, 2)] ?? FIRST_DIGIT[postcode.slice(0, 1)];
  const byArea = area ? TOWNS.get(area) : undefined;
  if (byArea) return { ...byArea, precision: 'postcode-area' };
  return { ...BELGIUM, precision: 'country' };
}

const EARTH_RADIUS_KM = 6371;

/** Great-circle distance in km (haversine). Roads are longer, but the order of distances is what matters here. */
export function distanceKm(a: Point, b: Point): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLng = (b.lng - a.lng) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLng / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Every postcode area with its main town, for the tests that keep the table honest. */
export const POSTCODE_AREA_TOWNS: Readonly<Record<string, string>> = { ...POSTCODE_AREAS, ...Object.fromEntries(Object.entries(FIRST_DIGIT).map(([d, t]) => [`${d}*`, t])) };
export const knownTown = (normalised: string): boolean => TOWNS.has(normalised);
