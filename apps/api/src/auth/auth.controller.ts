import { Body, Controller, Get, HttpCode, Inject, Ip, Post, UnauthorizedException } from '@nestjs/common';
import { ApiProperty, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';
import { type CommandContext, type SignInRefusal, UserAccounts, Users, type UserView } from '#application';
import { RUNTIME, type Runtime } from '#runtime';
import { Ctx, CurrentUser, Public } from '../http/authentication.js';
import { SecondFactorCodeField, TextField } from '../http/fields.js';
import { Anonymous, Operation, SignedIn, Throttled, UnauthorizedBody } from '../http/responses.js';
import { AccountBody, SecondFactorEnrolmentBody, SessionBody, SignedInUserBody } from './auth.views.js';

class SignIn {
  @TextField('User name', 'admin') username!: string;
  @ApiProperty({ example: 'a long secret' }) @IsString() @MaxLength(500) password!: string;
  @SecondFactorCodeField('Required of an account with a second factor: the code its authenticator shows now', true) code?: string;
}

class SecondFactorCode {
  @SecondFactorCodeField('The code the authenticator shows now') code!: string;
}

class OwnSecondFactorDisabling {
  @SecondFactorCodeField('The code the authenticator shows now: proof of holding it') code!: string;
  @TextField('Why (kept in the recorded fact)', 'new phone', true) reason?: string;
}

/** 401, with the rule and the field to fix when the password was right. */
function signInRefused(refusal: SignInRefusal): UnauthorizedException {
  if (refusal === 'WrongPassword') return new UnauthorizedException('wrong user name or password');
  const message =
    refusal === 'SecondFactorRequired'
      ? 'this account has a second factor: send the code its authenticator shows now'
      : 'not the authenticator’s code now, or one used already';
  return new UnauthorizedException({ error: 'Unauthorized', rule: refusal, message, fields: [{ field: 'code', message }] });
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
    @Inject(RUNTIME) private readonly runtime: Runtime,
  ) {}

  /** Throttled per user name and per client address (wrong codes count as wrong passwords): 429 with Retry-After after repeated failures. */
  @Public()
  @Anonymous()
  @Post('auth/token')
  @HttpCode(200)
  @Operation({ id: 'signIn', summary: 'Sign in: an access token for the Authorization header', answer: SessionBody, errors: ['invalid'] })
  @ApiUnauthorizedResponse({
    type: UnauthorizedBody,
    description: 'A wrong user name or password; or, the password right, SecondFactorRequired (no code sent) or WrongSecondFactorCode (field code)',
  })
  @Throttled()
  async signIn(@Body() body: SignIn, @Ip() address: string) {
    const outcome = await this.users.signIn(body.username, body.password, body.code, address);
    if ('refused' in outcome) throw signInRefused(outcome.refused);
    return outcome;
  }

  @SignedIn()
  @Get('auth/me')
  @Operation({ id: 'whoAmI', summary: 'The signed-in user: name and roles, and the province they work in', answer: SignedInUserBody })
  me(@CurrentUser() user: UserView): UserView & { province: { id: string; name: string } } {
    return { ...user, province: this.runtime.config.province };
  }

  /** One's own new password: the tokens issued before end, and the answer is a new session. */
  @SignedIn()
  @Post('auth/password')
  @HttpCode(200)
  @Operation({
    id: 'changeOwnPassword',
    summary: 'Change one’s own password: earlier tokens end, the answer is a new session',
    answer: SessionBody,
    errors: ['invalid', 'conflict'],
  })
  changePassword(@Body() body: PasswordChange, @Ip() address: string, @Ctx() context: CommandContext) {
    return this.accounts.changeOwnPassword(body.currentPassword, body.newPassword, address, context);
  }

  @SignedIn()
  @Post('auth/second-factor')
  @Operation({
    id: 'startSecondFactor',
    summary: 'Start enrolling an authenticator',
    description:
      'Administrators and finance: its secret, shown this once; signing in asks for codes only once it is confirmed. 409 SecondFactorNotOffered (not an administrator or finance), SecondFactorAlreadyEnabled (turn it off first).',
    answer: SecondFactorEnrolmentBody,
    created: true,
    errors: ['invalid', 'conflict'],
  })
  startSecondFactor(@Ctx() context: CommandContext) {
    return this.accounts.startSecondFactor(context);
  }

  @SignedIn()
  @Post('auth/second-factor/confirmation')
  @HttpCode(200)
  @Operation({
    id: 'confirmSecondFactor',
    summary: 'Confirm the authenticator being enrolled with one of its codes',
    description:
      'Recorded as SecondFactorEnabled; signing in asks for a code from now on. 409 WrongSecondFactorCode (field code; counted as a failed sign-in), SecondFactorAlreadyEnabled.',
    answer: AccountBody,
    answerDescription: 'The account, with secondFactor: true',
    errors: ['invalid', 'conflict'],
  })
  confirmSecondFactor(@Body() body: SecondFactorCode, @Ip() address: string, @Ctx() context: CommandContext) {
    return this.accounts.confirmSecondFactor(body.code, address, context);
  }

  @SignedIn()
  @Post('auth/second-factor/disable')
  @HttpCode(200)
  @Operation({
    id: 'disableOwnSecondFactor',
    summary: 'Turn one’s own second factor off with one of its codes',
    description: 'Recorded as SecondFactorDisabled. 409 WrongSecondFactorCode (field code; counted as a failed sign-in).',
    answer: AccountBody,
    answerDescription: 'The account, with secondFactor: false',
    errors: ['invalid', 'conflict'],
  })
  disableSecondFactor(@Body() body: OwnSecondFactorDisabling, @Ip() address: string, @Ctx() context: CommandContext) {
    return this.accounts.disableOwnSecondFactor(body.code, body.reason ?? 'turned off by its holder', address, context);
  }
}
