import { distanceKm, findTown, knownTown, locate, POSTCODE_AREA_TOWNS } from './geo';

const insideBelgium = (p: { lat: number; lng: number }) => p.lat >= 49.4 && p.lat <= 51.6 && p.lng >= 2.5 && p.lng <= 6.5;

describe('findTown', () => {
  it.each([
    ['Gent', ['Gand', 'Ghent']],
    ['Brussels', ['Bruxelles', 'Brussel']],
    ['Liège', ['Luik', 'LIÈGE', 'liege']],
    ['Ostend', ['Oostende', 'Ostende']],
  ])('finds %s under every name: %p', (canonical, names) => {
    const town = findTown(canonical);

    expect(town).toBeDefined();
    expect(insideBelgium(town!)).toBe(true);
    for (const name of names) expect(findTown(name)).toEqual(town);
  });

  it('places Gent, Brussels and Liège where they are', () => {
    expect(findTown('Gent')).toEqual({ lat: expect.closeTo(51.05, 1), lng: expect.closeTo(3.72, 1) });
    expect(findTown('Bruxelles')).toEqual({ lat: expect.closeTo(50.85, 1), lng: expect.closeTo(4.35, 1) });
    expect(findTown('Luik')).toEqual({ lat: expect.closeTo(50.63, 1), lng: expect.closeTo(5.57, 1) });
  });

  it('does not invent a town', () => {
    expect(findTown('Nowhere')).toBeUndefined();
  });
});

describe('locate', () => {
  it('places a known town by the town', () => {
    expect(locate('1910', 'Kraainem')).toEqual({ ...findTown('Kraainem'), precision: 'town' });
  });

  it('places an unknown town by its postcode area', () => {
    expect(locate('4000', 'Nowhere')).toEqual({ ...findTown('Liège'), precision: 'postcode-area' });
  });

  it('places every Belgian postcode at least by its area, inside Belgium', () => {
    const misplaced: string[] = [];
    for (let code = 1000; code <= 9999; code++) {
      const place = locate(String(code), 'Nowhere');
      if (place.precision !== 'postcode-area' || !insideBelgium(place)) misplaced.push(`${code}: ${JSON.stringify(place)}`);
    }

    expect(misplaced).toEqual([]);
  });

  it('falls back to the middle of Belgium without town or postcode', () => {
    expect(locate('', 'Nowhere')).toMatchObject({ precision: 'country' });
  });
});

describe('POSTCODE_AREA_TOWNS', () => {
  it.each(Object.entries(POSTCODE_AREA_TOWNS))('area %s names a known town (%s)', (_area, town) => {
    expect(knownTown(town)).toBe(true);
  });
});

describe('distanceKm', () => {
  const liedekerke = findTown('Liedekerke')!;
  const nassogne = findTown('Nassogne')!;
  const kraainem = findTown('Kraainem')!;

  it('measures Liedekerke to Nassogne as 110 to 170 km', () => {
    expect(distanceKm(liedekerke, nassogne)).toBeGreaterThan(110);
    expect(distanceKm(liedekerke, nassogne)).toBeLessThan(170);
  });

  it('measures Kraainem to Liedekerke as 20 to 35 km', () => {
    expect(distanceKm(kraainem, liedekerke)).toBeGreaterThan(20);
    expect(distanceKm(kraainem, liedekerke)).toBeLessThan(35);
  });

  it('is symmetric', () => {
    expect(distanceKm(nassogne, liedekerke)).toBe(distanceKm(liedekerke, nassogne));
    expect(distanceKm(liedekerke, kraainem)).toBe(distanceKm(kraainem, liedekerke));
  });

  it('is zero from a point to itself', () => {
    expect(distanceKm(kraainem, { ...kraainem })).toBe(0);
  });
});
