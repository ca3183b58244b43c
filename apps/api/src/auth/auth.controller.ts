import { Body, Controller, Get, HttpCode, Inject, Ip, Post, UnauthorizedException } from '@nestjs/common';
import { ApiBearerAuth, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';
import { type CommandContext, UserAccounts, Users, type UserView } from '#application';
import { Ctx, CurrentUser, Public } from '../http/authentication.js';
import { TextField } from '../http/fields.js';

class SignIn {
  @TextField('User name', 'admin') username!: string;
  @ApiProperty({ example: 'a long secret' }) @IsString() @MaxLength(500) password!: string;
}

class PasswordChange {
  @ApiProperty({ description: 'The password now', example: 'correct horse battery' }) @IsString() @MaxLength(500) currentPassword!: string;
  @ApiProperty({ description: 'At least 12 characters', example: 'another long secret' }) @IsString() @MinLength(12) @MaxLength(500) newPassword!: string;
}

@ApiTags('users')
@Controller()
export class AuthController {
  constructor(
    @Inject(Users) private readonly users: Users,
    @Inject(UserAccounts) private readonly accounts: UserAccounts,
  ) {}

  /** Throttled per user name and per client address: 429 with Retry-After after repeated failures. */
  @Public()
  @Post('auth/token')
  @HttpCode(200)
  async signIn(@Body() body: SignIn, @Ip() address: string) {
    const session = await this.users.signIn(body.username, body.password, address);
    if (!session) throw new UnauthorizedException('wrong user name or password');
    return session;
  }

  @ApiBearerAuth()
  @Get('auth/me')
  me(@CurrentUser() user: UserView): UserView {
    return user;
  }

  /** One's own new password: the tokens issued before end, and the answer is a new session. */
  @ApiBearerAuth()
  @Post('auth/password')
  @HttpCode(200)
  changePassword(@Body() body: PasswordChange, @Ip() address: string, @Ctx() context: CommandContext) {
    return this.accounts.changeOwnPassword(body.currentPassword, body.newPassword, address, context);
  }
}
