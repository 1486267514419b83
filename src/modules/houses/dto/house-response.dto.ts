import { ApiProperty } from '@nestjs/swagger';
import { House, HOUSE_KINDS, HouseKind, Language } from '../entities/house.entity';

export class LabelsDto {
  @ApiProperty()
  nl: string;

  @ApiProperty()
  fr: string;

  @ApiProperty()
  en: string;
}

export class HouseResponseDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ example: 'hejmo' })
  slug: string;

  @ApiProperty()
  name: string;

  @ApiProperty()
  town: string;

  @ApiProperty()
  postcode: string;

  @ApiProperty()
  province: string;

  @ApiProperty({ enum: HOUSE_KINDS })
  kind: HouseKind;

  @ApiProperty({ enum: ['nl', 'fr', 'en'], isArray: true, description: 'Languages the house works in' })
  languages: Language[];

  @ApiProperty({ type: LabelsDto, description: 'Who lives there, in nl, fr and en' })
  about: LabelsDto;

  @ApiProperty()
  lat: number;

  @ApiProperty()
  lng: number;
}

export function toHouseResponse(house: House): HouseResponseDto {
  return {
    id: house.id,
    slug: house.slug,
    name: house.name,
    town: house.town,
    postcode: house.postcode,
    province: house.province,
    kind: house.kind,
    languages: house.languages,
    about: house.about,
    lat: house.lat,
    lng: house.lng,
  };
}
