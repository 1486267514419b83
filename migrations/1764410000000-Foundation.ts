import { MigrationInterface, QueryRunner } from 'typeorm';

export class Foundation1764410000000 implements MigrationInterface {
  name = 'Foundation1764410000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE houses (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        slug text NOT NULL CONSTRAINT houses_slug_key UNIQUE CONSTRAINT houses_slug_format CHECK (slug ~ '^[a-z][a-z0-9-]{1,39}$'),
        name text NOT NULL,
        town text NOT NULL,
        postcode text NOT NULL CONSTRAINT houses_postcode_format CHECK (postcode ~ '^[1-9][0-9]{3}$'),
        province text NOT NULL,
        kind text NOT NULL CONSTRAINT houses_kind_check CHECK (kind IN ('childrens-village', 'crisis-care', 'reception-house', 'youth-house')),
        languages text[] NOT NULL CONSTRAINT houses_languages_check CHECK (languages <@ ARRAY['nl', 'fr', 'en'] AND cardinality(languages) > 0),
        about jsonb NOT NULL,
        lat double precision NOT NULL CONSTRAINT houses_lat_in_belgium CHECK (lat BETWEEN 49.4 AND 51.6),
        lng double precision NOT NULL CONSTRAINT houses_lng_in_belgium CHECK (lng BETWEEN 2.5 AND 6.5),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);

    await queryRunner.query(`
      CREATE TABLE categories (
        code text PRIMARY KEY CONSTRAINT categories_code_format CHECK (code ~ '^[a-z][a-z-]{1,39}$'),
        label_nl text NOT NULL,
        label_fr text NOT NULL,
        label_en text NOT NULL,
        position smallint NOT NULL CONSTRAINT categories_position_key UNIQUE
      )`);

    await queryRunner.query(`
      CREATE TABLE users (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        email text NOT NULL CONSTRAINT users_email_lowercase CHECK (email = lower(email) AND length(email) <= 254),
        password_hash text NOT NULL,
        name text NOT NULL,
        role text NOT NULL CONSTRAINT users_role_check CHECK (role IN ('donor', 'volunteer', 'coordinator', 'admin')),
        house_id uuid CONSTRAINT users_house_fk REFERENCES houses(id),
        phone text,
        postcode text CONSTRAINT users_postcode_format CHECK (postcode ~ '^[1-9][0-9]{3}$'),
        town text,
        vehicle text NOT NULL DEFAULT 'none' CONSTRAINT users_vehicle_check CHECK (vehicle IN ('none', 'car', 'van')),
        erased_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT users_coordinator_has_house CHECK ((role = 'coordinator') = (house_id IS NOT NULL))
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX users_email_key ON users (lower(email))`);
    await queryRunner.query(`CREATE INDEX users_house_idx ON users (house_id) WHERE house_id IS NOT NULL`);

    await queryRunner.query(`
      CREATE TABLE needs (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        house_id uuid NOT NULL CONSTRAINT needs_house_fk REFERENCES houses(id),
        category_code text NOT NULL CONSTRAINT needs_category_fk REFERENCES categories(code),
        title text NOT NULL CONSTRAINT needs_title_length CHECK (length(title) BETWEEN 1 AND 200),
        description text CONSTRAINT needs_description_length CHECK (length(description) <= 4000),
        quantity integer NOT NULL CONSTRAINT needs_quantity_positive CHECK (quantity > 0),
        quantity_allocated integer NOT NULL DEFAULT 0,
        quantity_delivered integer NOT NULL DEFAULT 0,
        urgency text NOT NULL CONSTRAINT needs_urgency_check CHECK (urgency IN ('low', 'normal', 'high', 'urgent')),
        urgency_rank smallint GENERATED ALWAYS AS (
          CASE urgency WHEN 'urgent' THEN 3 WHEN 'high' THEN 2 WHEN 'normal' THEN 1 ELSE 0 END
        ) STORED,
        needed_by date,
        status text NOT NULL DEFAULT 'open' CONSTRAINT needs_status_check CHECK (status IN ('open', 'fulfilled', 'cancelled')),
        created_by uuid CONSTRAINT needs_created_by_fk REFERENCES users(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT needs_allocated_within_quantity CHECK (quantity_allocated BETWEEN 0 AND quantity),
        CONSTRAINT needs_delivered_within_allocated CHECK (quantity_delivered BETWEEN 0 AND quantity_allocated),
        CONSTRAINT needs_fulfilled_when_delivered CHECK (status <> 'fulfilled' OR quantity_delivered = quantity)
      )`);
    // The public wishlist: open needs, optionally by house and category, most urgent first.
    await queryRunner.query(
      `CREATE INDEX needs_wishlist_idx ON needs (house_id, category_code, urgency_rank DESC, created_at DESC, id DESC) WHERE status = 'open'`,
    );
    await queryRunner.query(`CREATE INDEX needs_listing_idx ON needs (status, urgency_rank DESC, created_at DESC, id DESC)`);

    await queryRunner.query(`
      CREATE TABLE offers (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        donor_id uuid NOT NULL CONSTRAINT offers_donor_fk REFERENCES users(id),
        category_code text NOT NULL CONSTRAINT offers_category_fk REFERENCES categories(code),
        title text NOT NULL CONSTRAINT offers_title_length CHECK (length(title) BETWEEN 1 AND 200),
        description text CONSTRAINT offers_description_length CHECK (length(description) <= 4000),
        quantity integer NOT NULL CONSTRAINT offers_quantity_positive CHECK (quantity > 0),
        quantity_allocated integer NOT NULL DEFAULT 0,
        quantity_delivered integer NOT NULL DEFAULT 0,
        condition text NOT NULL CONSTRAINT offers_condition_check CHECK (condition IN ('new', 'good', 'fair')),
        size text NOT NULL CONSTRAINT offers_size_check CHECK (size IN ('small', 'medium', 'large')),
        pickup_street text,
        pickup_postcode text NOT NULL CONSTRAINT offers_postcode_format CHECK (pickup_postcode ~ '^[1-9][0-9]{3}$'),
        pickup_town text NOT NULL,
        status text NOT NULL DEFAULT 'open' CONSTRAINT offers_status_check CHECK (status IN ('open', 'allocated', 'closed', 'withdrawn', 'expired')),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT offers_allocated_within_quantity CHECK (quantity_allocated BETWEEN 0 AND quantity),
        CONSTRAINT offers_delivered_within_allocated CHECK (quantity_delivered BETWEEN 0 AND quantity_allocated)
      )`);
    await queryRunner.query(`CREATE INDEX offers_donor_idx ON offers (donor_id, created_at DESC, id DESC)`);
    await queryRunner.query(`CREATE INDEX offers_listing_idx ON offers (status, created_at DESC, id DESC)`);

    await queryRunner.query(`
      CREATE TABLE offer_windows (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        offer_id uuid NOT NULL CONSTRAINT offer_windows_offer_fk REFERENCES offers(id) ON DELETE CASCADE,
        starts_at timestamptz NOT NULL,
        ends_at timestamptz NOT NULL,
        CONSTRAINT offer_windows_ordered CHECK (ends_at > starts_at)
      )`);
    await queryRunner.query(`CREATE INDEX offer_windows_offer_idx ON offer_windows (offer_id, starts_at)`);

    await queryRunner.query(`
      CREATE TABLE status_changes (
        id bigserial PRIMARY KEY,
        subject_type text NOT NULL CONSTRAINT status_changes_subject_check CHECK (subject_type IN ('offer', 'need', 'match', 'pickup')),
        subject_id uuid NOT NULL,
        at timestamptz NOT NULL DEFAULT now(),
        actor_id uuid CONSTRAINT status_changes_actor_fk REFERENCES users(id),
        actor_role text NOT NULL CONSTRAINT status_changes_actor_role_check CHECK (actor_role IN ('donor', 'volunteer', 'coordinator', 'admin', 'system')),
        from_status text,
        to_status text NOT NULL,
        reason text
      )`);
    await queryRunner.query(`CREATE INDEX status_changes_subject_idx ON status_changes (subject_type, subject_id, at, id)`);

    await this.seed(queryRunner);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['status_changes', 'offer_windows', 'offers', 'needs', 'users', 'categories', 'houses']) {
      await queryRunner.query(`DROP TABLE ${table}`);
    }
  }

  private async seed(queryRunner: QueryRunner): Promise<void> {
    const houses = [
      {
        slug: 'chantevent',
        name: "SOS Kinderdorp / Village d'Enfants SOS Chantevent",
        town: 'Bande (Nassogne)',
        postcode: '6951',
        province: 'Luxembourg',
        kind: 'childrens-village',
        languages: ['fr'],
        lat: 50.1647,
        lng: 5.3997,
        about: {
          nl: 'Kinderdorp voor langdurige opvang in gezinshuizen, elk met een SOS-moeder of een team van opvoeders. Broers en zussen blijven samen; ongeveer 40 kinderen in 7 gezinshuizen.',
          fr: "Village d'enfants pour un accueil de longue durée dans des maisons familiales, chacune avec une mère SOS ou une équipe d'éducateurs. Les frères et sœurs restent ensemble ; environ 40 enfants dans 7 maisons.",
          en: "Children's village offering long-term care in family houses, each with an SOS mother or a team of educators. Siblings stay together; about 40 children in 7 family houses.",
        },
      },
      {
        slug: 'simbahuis',
        name: 'Het Simbahuis',
        town: 'Liedekerke',
        postcode: '1770',
        province: 'Vlaams-Brabant',
        kind: 'crisis-care',
        languages: ['nl'],
        lat: 50.8812,
        lng: 4.087,
        about: {
          nl: 'Tijdelijke opvang voor kinderen uit gezinnen in crisis. Kinderen en ouders worden samen begeleid, zodat het gezin weer samen kan leven.',
          fr: 'Accueil temporaire pour des enfants de familles en crise. Enfants et parents sont accompagnés ensemble afin que la famille puisse se retrouver.',
          en: 'Temporary care for children from families in crisis. Children and parents are coached together so that the family can reunite.',
        },
      },
      {
        slug: 'hejmo',
        name: 'Opvanghuis Hejmo',
        town: 'Kraainem',
        postcode: '1950',
        province: 'Vlaams-Brabant',
        kind: 'reception-house',
        languages: ['nl', 'fr', 'en'],
        lat: 50.8617,
        lng: 4.4697,
        about: {
          nl: 'Kleinschalig opvanghuis in gezinsvorm voor niet-begeleide minderjarige vluchtelingen, geopend in 2015: 9 kinderen en jongeren van 8 tot 18 jaar.',
          fr: "Petite maison d'accueil de type familial pour mineurs étrangers non accompagnés, ouverte en 2015 : 9 enfants et jeunes de 8 à 18 ans.",
          en: 'Small family-style reception house for unaccompanied minor refugees, opened in 2015: 9 children and young people aged 8 to 18.',
        },
      },
      {
        slug: 'olivier',
        name: "SOS Jongerenhuis / Maison des jeunes l'Olivier",
        town: 'Hollogne (Grâce-Hollogne)',
        postcode: '4460',
        province: 'Liège',
        kind: 'youth-house',
        languages: ['fr'],
        lat: 50.6367,
        lng: 5.4794,
        about: {
          nl: 'Jongerenhuis voor jongvolwassenen na hun 18de die nog begeleiding nodig hebben. Elk woont in een studio en wordt door een opvoeder begeleid naar zelfstandig wonen; 4 jongvolwassenen.',
          fr: "Maison des jeunes pour de jeunes adultes de plus de 18 ans qui ont encore besoin d'accompagnement. Chacun vit dans un studio, accompagné par un éducateur vers l'autonomie ; 4 jeunes adultes.",
          en: 'Youth house for young adults over 18 who still need guidance. Each lives in a studio, coached by an educator towards independent life; 4 young adults.',
        },
      },
    ];
    for (const house of houses) {
      await queryRunner.query(
        `INSERT INTO houses (slug, name, town, postcode, province, kind, languages, about, lat, lng)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
        [
          house.slug,
          house.name,
          house.town,
          house.postcode,
          house.province,
          house.kind,
          house.languages,
          JSON.stringify(house.about),
          house.lat,
          house.lng,
        ],
      );
    }

    const categories: Array<[string, string, string, string]> = [
      ['it-office', 'informatica en burotica', 'informatique et bureautique', 'IT and office equipment'],
      ['toys-crafts', 'speelgoed en knutselmateriaal', 'jouets et matériel de bricolage', 'toys and craft materials'],
      ['tools', 'werkgereedschap', 'outillage', 'tools'],
      ['childcare', 'kinderverzorging', 'puériculture', 'childcare items'],
      ['school-supplies', 'didactisch en schoolmateriaal', 'matériel didactique et scolaire', 'educational and school supplies'],
      ['furniture-appliances', 'meubilair en elektro-huishoudtoestellen', 'mobilier et électroménager', 'furniture and household appliances'],
      ['clothing-linen', 'kledij en huishoudlinnen', 'vêtements et linge de maison', 'clothing and household linen'],
    ];
    for (const [index, [code, nl, fr, en]] of categories.entries()) {
      await queryRunner.query(
        `INSERT INTO categories (code, label_nl, label_fr, label_en, position) VALUES ($1, $2, $3, $4, $5)`,
        [code, nl, fr, en, index + 1],
      );
    }
  }
}
