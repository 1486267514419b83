import { Column, CreateDateColumn, Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { House } from '../../houses/entities/house.entity';

export const URGENCIES = ['low', 'normal', 'high', 'urgent'] as const;
export type Urgency = (typeof URGENCIES)[number];
export const NEED_STATUSES = ['open', 'fulfilled', 'cancelled'] as const;
export type NeedStatus = (typeof NEED_STATUSES)[number];

@Entity({ name: 'needs' })
export class Need {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'house_id', type: 'uuid' })
  houseId: string;

  @ManyToOne(() => House)
  @JoinColumn({ name: 'house_id' })
  house?: House;

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
  urgency: Urgency;

  @Column({ name: 'urgency_rank', type: 'smallint', insert: false, update: false })
  urgencyRank: number;

  /** A calendar day, 'YYYY-MM-DD'. */
  @Column({ name: 'needed_by', type: 'date', nullable: true })
  neededBy: string | null;

  @Column({ type: 'text', default: 'open' })
  status: NeedStatus;

  @Column({ name: 'created_by', type: 'uuid', nullable: true })
  createdBy: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
