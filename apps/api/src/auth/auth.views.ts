import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ROLES } from '#application';
import { Text } from '../http/views.js';

/** The answers of signing in and of user accounts, for the OpenAPI document. */

export class UserBody {
  @Text('User name', 'nguyen.van.a') username!: string;
  @Text('Full name', 'Nguyễn Văn A') fullName!: string;
  @ApiProperty({ enum: ROLES, isArray: true, description: 'The roles in force' }) roles!: string[];
}

export class ProvinceBody {
  @Text('The province’s id, as its URLs name it (/provinces/{id}/…)', 'lang-son') id!: string;
  @Text('Its name', 'Lạng Sơn') name!: string;
}

/** Who is signed in, and in which province: a process may serve several, each with users of its own. */
export class SignedInUserBody extends UserBody {
  @ApiProperty({ type: ProvinceBody }) province!: ProvinceBody;
}

export class SessionBody {
  @Text('Send it as `Authorization: Bearer …`', 'eyJhbGciOiJIUzI1NiJ9.…') accessToken!: string;
  @ApiProperty({ type: 'string', format: 'date-time', example: '2025-07-01T16:30:00.000Z' }) expiresAt!: string;
  @ApiProperty({ type: UserBody }) user!: UserBody;
}

export class ListedUserBody extends UserBody {
  @ApiProperty({ enum: ['awaiting-confirmation', 'active', 'disabled'] }) status!: string;
}

class AwaitingRolesBody {
  @ApiProperty({ enum: ROLES, isArray: true }) roles!: string[];
  @Text('Who drafted them', 'admin') by!: string;
}

export class AccountBody {
  @ApiProperty({
    enum: ['awaiting-confirmation', 'active', 'disabled'],
    description: '`awaiting-confirmation`: an administrator’s account another administrator has yet to confirm; it cannot sign in',
  })
  status!: string;
  @Text('User name', 'nguyen.van.a') username!: string;
  @Text('Full name', 'Nguyễn Văn A') fullName!: string;
  @ApiProperty({ enum: ROLES, isArray: true, description: 'The roles in force (none while the account awaits confirmation)' }) roles!: string[];
  @Text('Who registered it', 'admin') createdBy!: string;
  @Text('Who confirmed the administrator role', 'admin2', { required: false }) confirmedBy?: string;
  @ApiPropertyOptional({ type: AwaitingRolesBody, description: 'Roles with the administrator role, awaiting confirmation' }) awaiting?: AwaitingRolesBody;
  @ApiProperty({ type: 'integer', description: 'Raised by each new password and each disabling: older tokens no longer hold', example: 1 })
  credentialVersion!: number;
  @ApiProperty({ description: 'Signing in asks for a code of the authenticator too' }) secondFactor!: boolean;
}

export class SecondFactorEnrolmentBody {
  @Text('The authenticator’s secret (base32), to type in; shown this once', 'JBSWY3DPEHPK3PXP') secret!: string;
  @Text('The same as an otpauth:// URI, for a QR code', 'otpauth://totp/Back%20office:nguyen.van.a?secret=JBSWY3DPEHPK3PXP&issuer=Back%20office') uri!: string;
}
