import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

export const HOUSE_KINDS = ['childrens-village', 'crisis-care', 'reception-house', 'youth-house'] as const;
export type HouseKind = (typeof HOUSE_KINDS)[number];
export type Language = 'nl' | 'fr' | 'en';
export type Labels = Record<Language, string>;

@Entity({ name: 'houses' })
export class House {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text', unique: true })
  slug: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'text' })
  town: string;

  @Column({ type: 'text' })
  postcode: string;

  @Column({ type: 'text' })
  province: string;

  @Column({ type: 'text' })
  kind: HouseKind;

  @Column({ type: 'text', array: true })
  languages: Language[];

  @Column({ type: 'jsonb' })
  about: Labels;

  @Column({ type: 'double precision' })
  lat: number;

  @Column({ type: 'double precision' })
  lng: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
