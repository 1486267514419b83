import {
  Column,
  CreateDateColumn,
  Entity,
  OneToMany,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import { OfferWindow } from './offer-window.entity';

export const CONDITIONS = ['new', 'good', 'fair'] as const;
export type Condition = (typeof CONDITIONS)[number];
export const SIZES = ['small', 'medium', 'large'] as const;
export type Size = (typeof SIZES)[number];
export const OFFER_STATUSES = ['open', 'allocated', 'closed', 'withdrawn', 'expired'] as const;
export type OfferStatus = (typeof OFFER_STATUSES)[number];

@Entity({ name: 'offers' })
export class Offer {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'donor_id', type: 'uuid' })
  donorId: string;

  @Column({ name: 'category_code', type: 'text' })
  categoryCode: string;

  @Column({ type: 'text' })
  title: string;

  @Column({ type: 'text', nullable: true })
  description: string | null;

  @Column({ type: 'integer' })
  quantity: number;

  @Column({ name: 'quantity_allocated', type: 'integer', default: 0 })
  quantityAllocated: number;

  @Column({ name: 'quantity_delivered', type: 'integer', default: 0 })
  quantityDelivered: number;

  @Column({ type: 'text' })
  condition: Condition;

  @Column({ type: 'text' })
  size: Size;

  /** Null once the donor has erased their personal data. */
  @Column({ name: 'pickup_street', type: 'text', nullable: true })
  pickupStreet: string | null;

  @Column({ name: 'pickup_postcode', type: 'text' })
  pickupPostcode: string;

  @Column({ name: 'pickup_town', type: 'text' })
  pickupTown: string;

  @Column({ type: 'text', default: 'open' })
  status: OfferStatus;

  @OneToMany(() => OfferWindow, (window) => window.offer, { cascade: ['insert'] })
  windows?: OfferWindow[];

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
