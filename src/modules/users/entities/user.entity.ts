import { Language } from '../../../common/i18n/languages';
import { Column, CreateDateColumn, Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { House } from '../../houses/entities/house.entity';

export const ROLES = ['donor', 'volunteer', 'coordinator', 'admin'] as const;
export type Role = (typeof ROLES)[number];
export const SELF_REGISTERED_ROLES = ['donor', 'volunteer'] as const;
export const VEHICLES = ['none', 'car', 'van'] as const;
export type Vehicle = (typeof VEHICLES)[number];

@Entity({ name: 'users' })
export class User {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text' })
  email: string;

  @Column({ name: 'password_hash', type: 'text', select: false })
  passwordHash: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'text' })
  role: Role;

  @Column({ name: 'house_id', type: 'uuid', nullable: true })
  houseId: string | null;

  @ManyToOne(() => House, { nullable: true })
  @JoinColumn({ name: 'house_id' })
  house?: House | null;

  @Column({ type: 'text', nullable: true })
  phone: string | null;

  @Column({ type: 'text', nullable: true })
  postcode: string | null;

  @Column({ type: 'text', nullable: true })
  town: string | null;

  @Column({ type: 'text', default: 'none' })
  vehicle: Vehicle;

  /** The language of the notifications, e-mails and calendar this user receives. */
  @Column({ type: 'text', default: 'nl' })
  language: Language;

  @Column({ name: 'erased_at', type: 'timestamptz', nullable: true })
  erasedAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
