/**
 * The templates every notice kind starts with (version 0), in each language
 * the service speaks: what applies until the campaign office saves its own.
 * Each kind is written once per language as inbox text, an SMS (one message:
 * at most 70 characters with values filled in; the gateway adds the
 * signature) and a WeChat card; the email is the inbox text with a greeting
 * and a line on where to turn such emails off.
 */
import type { Channel, NoticeKind } from './notices.js';
import type { Language } from './preferences.js';
import type { TemplateKey, TemplateText } from './templates.js';

interface KindTexts {
  /** The inbox title and the email subject. */
  readonly title: string;
  readonly body: string;
  readonly sms: string;
  readonly wechatTitle: string;
  readonly wechatBody: string;
}

const ZH: Readonly<Record<NoticeKind, KindTexts>> = {
  'enrollment.confirmed': {
    title: '报名成功：{{title}}',
    body: '您已成功报名“{{title}}”。\n时间：{{startsAt}} 至 {{endsAt}}\n地点：{{venue}}\n请准时参加；如不能参加，请及时取消，把名额留给他人。',
    sms: '报名成功：{{title}}，时间 {{startsAt}}，地点 {{venue}}。',
    wechatTitle: '活动报名成功',
    wechatBody: '活动：{{title}}\n时间：{{startsAt}}\n地点：{{venue}}',
  },
  'enrollment.waitlisted': {
    title: '已进入候补：{{title}}',
    body: '“{{title}}”名额已满，您已进入候补。有空位时会自动为您补上并通知您。\n时间：{{startsAt}} 至 {{endsAt}}\n地点：{{venue}}',
    sms: '{{title}}名额已满，您已进入候补，补上后将通知您。',
    wechatTitle: '活动候补通知',
    wechatBody: '活动：{{title}}\n状态：候补中\n时间：{{startsAt}}',
  },
  'enrollment.promoted': {
    title: '候补成功：{{title}}',
    body: '有人取消了报名，您已从候补转为正式报名“{{title}}”。\n时间：{{startsAt}} 至 {{endsAt}}\n地点：{{venue}}\n如不能参加，请及时取消。',
    sms: '候补成功：您已报上{{title}}，时间 {{startsAt}}，地点 {{venue}}。',
    wechatTitle: '候补转正通知',
    wechatBody: '活动：{{title}}\n时间：{{startsAt}}\n地点：{{venue}}',
  },
  'enrollment.cancelled': {
    title: '报名已取消：{{title}}',
    body: '您对“{{title}}”（{{startsAt}}）的报名已取消。\n原因：{{reason}}\n欢迎报名其他活动。',
    sms: '您的报名已取消：{{title}}，{{startsAt}}。原因：{{reason}}。',
    wechatTitle: '报名取消通知',
    wechatBody: '活动：{{title}}\n时间：{{startsAt}}\n原因：{{reason}}',
  },
  'event.rescheduled': {
    title: '时间变更：{{title}}',
    body: '“{{title}}”的时间有变：原定 {{previousStartsAt}}，改为 {{startsAt}} 至 {{endsAt}}。\n地点：{{venue}}\n如新时间不便参加，请取消报名。',
    sms: '{{title}}改期：原{{previousStartsAt}}，改为{{startsAt}}。',
    wechatTitle: '活动时间变更',
    wechatBody:
      '活动：{{title}}\n原时间：{{previousStartsAt}}\n新时间：{{startsAt}}\n地点：{{venue}}',
  },
  'event.cancelled': {
    title: '活动取消：{{title}}',
    body: '很抱歉，原定于 {{startsAt}} 在{{venue}}举行的“{{title}}”已取消。\n原因：{{reason}}\n您的报名随之取消，欢迎关注其他活动。',
    sms: '很抱歉，{{title}}（{{startsAt}}）已取消。原因：{{reason}}。',
    wechatTitle: '活动取消通知',
    wechatBody: '活动：{{title}}\n原定时间：{{startsAt}}\n原因：{{reason}}',
  },
  'reminder.day-before': {
    title: '明日活动：{{title}}',
    body: '提醒您：您报名的“{{title}}”将于 {{startsAt}} 开始，{{endsAt}} 结束。\n地点：{{venue}}\n请合理安排出行。',
    sms: '提醒：您报名的{{title}}将于{{startsAt}}在{{venue}}开始。',
    wechatTitle: '活动明日开始',
    wechatBody: '活动：{{title}}\n时间：{{startsAt}}\n地点：{{venue}}',
  },
  'reminder.hour-before': {
    title: '即将开始：{{title}}',
    body: '您报名的“{{title}}”将于 {{startsAt}} 开始，地点：{{venue}}。请准时到场。',
    sms: '{{title}}将于{{startsAt}}开始，地点{{venue}}，请准时到场。',
    wechatTitle: '活动即将开始',
    wechatBody: '活动：{{title}}\n时间：{{startsAt}}\n地点：{{venue}}',
  },
  'activity.published': {
    title: '新活动：{{title}}',
    body: '{{place}}发布了新活动“{{title}}”。\n时间：{{startsAt}} 至 {{endsAt}}\n地点：{{venue}}\n感兴趣的话，欢迎报名。',
    sms: '新活动：{{title}}，{{startsAt}}，地点 {{venue}}，欢迎报名。',
    wechatTitle: '新活动发布',
    wechatBody: '活动：{{title}}\n时间：{{startsAt}}\n地点：{{venue}}',
  },
  'session.scheduled': {
    title: '新讲座：{{title}}',
    body: '{{place}}将举办讲座“{{title}}”，主讲：{{speaker}}。\n时间：{{startsAt}} 至 {{endsAt}}\n地点：{{venue}}\n欢迎报名。',
    sms: '新讲座：{{title}}，主讲{{speaker}}，{{startsAt}}，欢迎报名。',
    wechatTitle: '新讲座发布',
    wechatBody: '讲座：{{title}}\n主讲：{{speaker}}\n时间：{{startsAt}}\n地点：{{venue}}',
  },
  'credits.awarded': {
    title: '获得学分 {{amount}}',
    body: '您因{{source}}获得 {{amount}} 学分（{{occurredAt}}）。可在“我的学习档案”中查看累计学分。',
    sms: '您因{{source}}获得{{amount}}学分，可在学习档案中查看。',
    wechatTitle: '学分到账通知',
    wechatBody: '来源：{{source}}\n学分：{{amount}}\n时间：{{occurredAt}}',
  },
  'award.granted': {
    title: '荣获{{year}}年度{{award}}',
    body: '祝贺您荣获 {{year}} 年度“{{award}}”称号！感谢您对全民学习的坚持与投入。',
    sms: '祝贺您荣获{{year}}年度“{{award}}”称号！',
    wechatTitle: '获奖通知',
    wechatBody: '荣誉：{{award}}\n年度：{{year}}',
  },
  'organization.recognized': {
    title: '{{organization}}已通过认定',
    body: '“{{organization}}”已通过认定，成为本市学习型组织。现在可以发布活动、组织成员参加学习了。',
    sms: '“{{organization}}”已通过认定，成为学习型组织。',
    wechatTitle: '组织认定通过',
    wechatBody: '组织：{{organization}}\n结果：已通过认定',
  },
  'organization.rejected': {
    title: '{{organization}}未通过认定',
    body: '很遗憾，“{{organization}}”本次未通过认定。\n原因：{{reason}}\n完善后可再次申请。',
    sms: '“{{organization}}”未通过认定，原因：{{reason}}。',
    wechatTitle: '组织认定结果',
    wechatBody: '组织：{{organization}}\n结果：未通过\n原因：{{reason}}',
  },
  'coverage.gap': {
    title: '覆盖缺口：{{area}}',
    body: '{{area}}出现活动覆盖缺口：{{gap}}（发现于 {{detectedAt}}）。请安排活动补上。',
    sms: '覆盖缺口：{{area}}，{{gap}}，请安排活动。',
    wechatTitle: '覆盖缺口提醒',
    wechatBody: '区域：{{area}}\n情况：{{gap}}\n发现时间：{{detectedAt}}',
  },
  'training.completed': {
    title: '培训结业：{{programme}}',
    body: '祝贺您完成“{{programme}}”规定的学时（{{completedAt}}）。\n证书编号：{{certificateCode}}\n凭此编号可在平台查验证书真伪。',
    sms: '祝贺您完成{{programme}}，证书编号{{certificateCode}}。',
    wechatTitle: '培训结业通知',
    wechatBody: '培训：{{programme}}\n结业时间：{{completedAt}}\n证书编号：{{certificateCode}}',
  },
  announcement: {
    title: '{{subject}}',
    body: '{{body}}',
    sms: '{{subject}}：{{body}}',
    wechatTitle: '通知公告',
    wechatBody: '{{subject}}\n{{body}}',
  },
  'subscription.paused': {
    title: '推送已暂停：{{subscription}}',
    body: '订阅“{{subscription}}”（{{url}}）连续 {{failures}} 次推送失败，已暂停。最近一次错误：{{lastError}}。请修复接收地址后恢复订阅。',
    sms: '订阅{{subscription}}连续{{failures}}次推送失败，已暂停，请处理。',
    wechatTitle: '订阅推送已暂停',
    wechatBody: '订阅：{{subscription}}\n连续失败：{{failures}} 次\n最近错误：{{lastError}}',
  },
  digest: {
    title: '{{period}}消息汇总（{{count}} 条）',
    body: '{{period}}共有 {{count}} 条消息：\n{{items}}',
    sms: '{{period}}您有{{count}}条新消息，请在消息中心查看。',
    wechatTitle: '消息汇总',
    wechatBody: '{{period}}共 {{count}} 条消息，请进入消息中心查看。',
  },
};

const EN: Readonly<Record<NoticeKind, KindTexts>> = {
  'enrollment.confirmed': {
    title: 'You are enrolled: {{title}}',
    body: 'You are enrolled in “{{title}}”.\nWhen: {{startsAt}} to {{endsAt}}\nWhere: {{venue}}\nIf you cannot come, please cancel so someone else can take your place.',
    sms: 'Enrolled: {{title}}, {{startsAt}}, {{venue}}.',
    wechatTitle: 'Enrollment confirmed',
    wechatBody: 'Activity: {{title}}\nWhen: {{startsAt}}\nWhere: {{venue}}',
  },
  'enrollment.waitlisted': {
    title: 'On the waiting list: {{title}}',
    body: '“{{title}}” is full; you are on the waiting list. If a place frees up you get it automatically, and we will tell you.\nWhen: {{startsAt}} to {{endsAt}}\nWhere: {{venue}}',
    sms: '{{title}} is full: you are on the waiting list.',
    wechatTitle: 'On the waiting list',
    wechatBody: 'Activity: {{title}}\nStatus: waiting list\nWhen: {{startsAt}}',
  },
  'enrollment.promoted': {
    title: 'You got a place: {{title}}',
    body: 'A place freed up: you are now enrolled in “{{title}}”.\nWhen: {{startsAt}} to {{endsAt}}\nWhere: {{venue}}\nIf you cannot come, please cancel.',
    sms: 'You got a place: {{title}}, {{startsAt}}.',
    wechatTitle: 'You got a place',
    wechatBody: 'Activity: {{title}}\nWhen: {{startsAt}}\nWhere: {{venue}}',
  },
  'enrollment.cancelled': {
    title: 'Enrollment cancelled: {{title}}',
    body: 'Your enrollment in “{{title}}” ({{startsAt}}) is cancelled.\nReason: {{reason}}\nYou are welcome to join another activity.',
    sms: 'Enrollment cancelled: {{title}}, {{startsAt}}.',
    wechatTitle: 'Enrollment cancelled',
    wechatBody: 'Activity: {{title}}\nWhen: {{startsAt}}\nReason: {{reason}}',
  },
  'event.rescheduled': {
    title: 'New time: {{title}}',
    body: '“{{title}}” has moved from {{previousStartsAt}} to {{startsAt}} (until {{endsAt}}).\nWhere: {{venue}}\nIf the new time does not suit you, please cancel.',
    sms: '{{title}} moved to {{startsAt}}.',
    wechatTitle: 'Time changed',
    wechatBody:
      'Activity: {{title}}\nWas: {{previousStartsAt}}\nNow: {{startsAt}}\nWhere: {{venue}}',
  },
  'event.cancelled': {
    title: 'Cancelled: {{title}}',
    body: 'We are sorry: “{{title}}” on {{startsAt}} at {{venue}} is cancelled.\nReason: {{reason}}\nYour enrollment is cancelled with it.',
    sms: 'Sorry, {{title}} on {{startsAt}} is cancelled.',
    wechatTitle: 'Activity cancelled',
    wechatBody: 'Activity: {{title}}\nWas on: {{startsAt}}\nReason: {{reason}}',
  },
  'reminder.day-before': {
    title: 'Tomorrow: {{title}}',
    body: 'A reminder: “{{title}}”, which you enrolled in, runs from {{startsAt}} to {{endsAt}}.\nWhere: {{venue}}',
    sms: 'Reminder: {{title}}, {{startsAt}}, {{venue}}.',
    wechatTitle: 'Starts tomorrow',
    wechatBody: 'Activity: {{title}}\nWhen: {{startsAt}}\nWhere: {{venue}}',
  },
  'reminder.hour-before': {
    title: 'Starting soon: {{title}}',
    body: '“{{title}}” starts at {{startsAt}} at {{venue}}. See you there.',
    sms: '{{title}} starts {{startsAt}} at {{venue}}.',
    wechatTitle: 'Starting soon',
    wechatBody: 'Activity: {{title}}\nWhen: {{startsAt}}\nWhere: {{venue}}',
  },
  'activity.published': {
    title: 'New activity: {{title}}',
    body: '{{place}} has a new activity, “{{title}}”.\nWhen: {{startsAt}} to {{endsAt}}\nWhere: {{venue}}\nEnroll if you are interested.',
    sms: 'New: {{title}}, {{startsAt}}, {{venue}}.',
    wechatTitle: 'New activity',
    wechatBody: 'Activity: {{title}}\nWhen: {{startsAt}}\nWhere: {{venue}}',
  },
  'session.scheduled': {
    title: 'New lecture: {{title}}',
    body: '{{place}} holds a lecture, “{{title}}”, given by {{speaker}}.\nWhen: {{startsAt}} to {{endsAt}}\nWhere: {{venue}}\nEnroll if you are interested.',
    sms: 'New lecture: {{title}}, {{speaker}}, {{startsAt}}.',
    wechatTitle: 'New lecture',
    wechatBody: 'Lecture: {{title}}\nSpeaker: {{speaker}}\nWhen: {{startsAt}}\nWhere: {{venue}}',
  },
  'credits.awarded': {
    title: 'You earned {{amount}} credits',
    body: 'You earned {{amount}} credits for {{source}} ({{occurredAt}}). Your learning record shows your total.',
    sms: 'You earned {{amount}} credits for {{source}}.',
    wechatTitle: 'Credits earned',
    wechatBody: 'For: {{source}}\nCredits: {{amount}}\nWhen: {{occurredAt}}',
  },
  'award.granted': {
    title: 'You are {{award}} {{year}}',
    body: 'Congratulations: you are {{award}} {{year}}! Thank you for learning with your city.',
    sms: 'Congratulations: you are {{award}} {{year}}!',
    wechatTitle: 'Award granted',
    wechatBody: 'Award: {{award}}\nYear: {{year}}',
  },
  'organization.recognized': {
    title: '{{organization}} is recognized',
    body: '“{{organization}}” is now a recognized learning organization: it can publish activities and bring its members to learn.',
    sms: '“{{organization}}” is now a recognized learning organization.',
    wechatTitle: 'Recognized',
    wechatBody: 'Organization: {{organization}}\nResult: recognized',
  },
  'organization.rejected': {
    title: '{{organization}} was not recognized',
    body: 'We are sorry: “{{organization}}” was not recognized this time.\nReason: {{reason}}\nYou may apply again once this is addressed.',
    sms: '“{{organization}}” was not recognized: {{reason}}.',
    wechatTitle: 'Not recognized',
    wechatBody: 'Organization: {{organization}}\nResult: not recognized\nReason: {{reason}}',
  },
  'coverage.gap': {
    title: 'Coverage gap: {{area}}',
    body: '{{area}} has a coverage gap: {{gap}} (found {{detectedAt}}). Please plan an activity there.',
    sms: 'Coverage gap in {{area}}: {{gap}}.',
    wechatTitle: 'Coverage gap',
    wechatBody: 'Area: {{area}}\nGap: {{gap}}\nFound: {{detectedAt}}',
  },
  'training.completed': {
    title: 'Training completed: {{programme}}',
    body: 'Congratulations: you completed the hours “{{programme}}” requires ({{completedAt}}).\nCertificate code: {{certificateCode}}\nAnyone can check the certificate with this code on the platform.',
    sms: 'You completed {{programme}}: certificate {{certificateCode}}.',
    wechatTitle: 'Training completed',
    wechatBody:
      'Training: {{programme}}\nCompleted: {{completedAt}}\nCertificate: {{certificateCode}}',
  },
  announcement: {
    title: '{{subject}}',
    body: '{{body}}',
    sms: '{{subject}}: {{body}}',
    wechatTitle: 'Announcement',
    wechatBody: '{{subject}}\n{{body}}',
  },
  'subscription.paused': {
    title: 'Webhook paused: {{subscription}}',
    body: 'Your subscription “{{subscription}}” ({{url}}) failed {{failures}} times in a row and is paused. Last error: {{lastError}}. Fix the receiving address, then resume it.',
    sms: 'Webhook {{subscription}} paused after {{failures}} failures.',
    wechatTitle: 'Webhook paused',
    wechatBody: 'Subscription: {{subscription}}\nFailures: {{failures}}\nLast error: {{lastError}}',
  },
  digest: {
    title: 'Your notices {{period}} ({{count}})',
    body: 'You have {{count}} notices {{period}}:\n{{items}}',
    sms: 'You have {{count}} new notices {{period}}; see your inbox.',
    wechatTitle: 'Your notices',
    wechatBody: '{{count}} notices {{period}}; open your inbox to read them.',
  },
};

const TEXTS: Readonly<Record<Language, Readonly<Record<NoticeKind, KindTexts>>>> = {
  'zh-CN': ZH,
  en: EN,
};

const EMAIL_FRAME: Readonly<Record<Language, { greeting: string; footer: string }>> = {
  'zh-CN': {
    greeting: '您好！',
    footer: '此邮件由学习型城市建设平台发送。如不想再收到此类邮件，可在“消息设置”中关闭。',
  },
  en: {
    greeting: 'Hello,',
    footer:
      'Sent by the learning city platform. To stop emails like this, turn them off in your notification settings.',
  },
};

function textOf(texts: KindTexts, channel: Channel, language: Language): TemplateText {
  switch (channel) {
    case 'inbox':
      return { title: texts.title, body: texts.body };
    case 'sms':
      return { title: '', body: texts.sms };
    case 'wechat':
      return { title: texts.wechatTitle, body: texts.wechatBody };
    case 'email': {
      const frame = EMAIL_FRAME[language];
      return {
        title: texts.title,
        body: `${frame.greeting}\n\n${texts.body}\n\n${frame.footer}`,
      };
    }
  }
}

/** The built-in template (version 0) of the key; undefined for a language with none. */
export function builtInTemplate(key: TemplateKey): TemplateText | undefined {
  const texts = (TEXTS as Partial<Record<string, Readonly<Record<NoticeKind, KindTexts>>>>)[
    key.language
  ]?.[key.kind];
  return texts === undefined ? undefined : textOf(texts, key.channel, key.language);
}
